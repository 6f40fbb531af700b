"""keel: render, enumerate and check the keel service template."""
