from django.db.backends.sqlite3 import base

from .. import TrackChanges


class DatabaseWrapper(TrackChanges, base.DatabaseWrapper):
    pass
