"""The app shell: navigation, sidebar, data sets offered, links, the pager.

Import the submodules explicitly; this file imports nothing."""
