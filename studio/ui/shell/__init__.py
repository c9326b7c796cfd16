"""The window around the steps: the application, the main window and its menus, project and
lesson files, autosave, Qt settings, snapshots."""
