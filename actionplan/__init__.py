"""Static-site generator for the public reports of Taiwan's IP Protection Action Plan (貫徹保護智慧財產權行動方案)."""
