"""The IP Protection Action Plan report site generator.

Folders by job, each importing only from itself and the folders before it in this list (tests/test_architecture.py
holds them to it):

- ``base``: problems and their report, the worker pool, where a project's parts are;
- ``content``: reading content files and the model they become;
- ``site``: the kinds of page, their addresses, rendering, writing and the search index;
- ``checks``: checks of the content as a whole, links included;
- ``build``: the pipeline, and the reuse of the last build's work;
- ``importers``: what agencies send, turned into content files;
- ``editors``: the scaffold, the preview server, the tracking report's formats.
"""
