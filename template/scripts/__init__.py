"""Development tools run by the Justfile, such as `just dev`."""
