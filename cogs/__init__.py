"""One cog per feature; each is thin glue over `bot/`. Every module here is loaded at start."""
