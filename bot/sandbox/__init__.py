"""The sandbox: the real Lantern bot against the emulator, driven line by line (tests use it too)."""
