from collections import deque

from django.db.backends.sqlite3 import base

from .. import TrackChanges


class Cursor(base.SQLiteCursorWrapper):
    """SQLite hands out a statement's rows as they are read, and its transaction cannot commit while
    any are unread: `read_ahead()` reads them all at once, so a write that returns rows (INSERT ...
    RETURNING) can commit, with its version, before the caller takes them."""

    _rows = None

    def execute(self, query, params=None):
        self._rows = None
        return super().execute(query, params)

    def executemany(self, query, param_list):
        self._rows = None
        return super().executemany(query, param_list)

    def read_ahead(self) -> None:
        self._rows = deque(super().fetchall())

    def fetchone(self):
        if self._rows is None:
            return super().fetchone()
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size=None):
        if self._rows is None:
            return super().fetchmany(self.arraysize if size is None else size)
        size = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(size, len(self._rows)))]

    def fetchall(self):
        if self._rows is None:
            return super().fetchall()
        taken, self._rows = list(self._rows), deque()
        return taken

    def __next__(self):
        if self._rows is None:
            return super().__next__()
        if not self._rows:
            raise StopIteration
        return self._rows.popleft()


class DatabaseWrapper(TrackChanges, base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=Cursor)
