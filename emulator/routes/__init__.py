"""The emulator's REST API v10, one module per part of it."""
