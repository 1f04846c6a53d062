"""Running a deployment: backups and restores, and the check of what production lacks."""
