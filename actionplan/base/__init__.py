"""The ground every other part stands on: problems and how they are reported (errors), the worker pool (parallel), where a project's parts are (project). Imports nothing of the package."""
