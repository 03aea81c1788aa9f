"""Django's PostgreSQL and SQLite backends, each also keeping the data versions of bureau/changes.py:
writes are noted as they run and their versions move just before the transaction commits."""

from .. import changes


class TrackChanges:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.changed_scopes: set[int] = set()
        self.execute_wrappers.append(changes.track)

    def _commit(self):
        if self.changed_scopes and self.connection is not None:
            changes.flush(self)
        return super()._commit()

    def _rollback(self):
        self.changed_scopes = set()
        return super()._rollback()

    def _close(self):
        # A connection closed inside a transaction loses that transaction, and its writes with it.
        self.changed_scopes = set()
        return super()._close()
