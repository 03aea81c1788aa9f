from django.db.backends.postgresql import base

from .. import TrackChanges


class DatabaseWrapper(TrackChanges, base.DatabaseWrapper):
    pass
