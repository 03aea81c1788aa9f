"""The read API over the plan's data, and the one write (a progress report), under /api/v1/.

Each module answers with the same querysets, access checks and builders the pages use, so a token
reaches exactly what its owner reaches in the web pages."""
