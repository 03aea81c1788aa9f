"""The organisation's pages, one module per screen."""
