"""Django system checks for monitorgen's configuration (ids `monitorgen.E0xx`)."""
