"""The Dagster instance's storage (`.dagster_home/dagster.yaml`): Dagster's SQLite files, in
Dagster's layout, written without a disk sync per event.

Dagster's SQLite event log opens a connection for every event and closes it after one commit.
Each commit syncs the write-ahead log to disk (synchronous=FULL), and closing the last connection
to a file copies the log into the database and syncs again; an asset event writes two files (the
run's and the cross-run index). `make demo` writes about 2,000 events, 25-35 ms each on this
shared machine. Here each file keeps its connection open, so SQLite checkpoints every 1,000 pages
as it does by default instead of on every close, and commits with synchronous=NORMAL, the mode
SQLite documents for WAL: a power loss may undo the last commits, it never corrupts a file.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import yaml
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SqliteEventLogStorage,
    SqliteEventLogStorageWatchdog,
)
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from dagster._serdes import ConfigurableClassData
from watchdog.events import FileSystemEvent, PatternMatchingEventHandler
from watchdog.observers import Observer

# Files a process keeps open: the cross-run index and the latest runs it read or wrote. A UI
# browsing many runs closes the oldest rather than hold three descriptors per run it showed.
OPEN_FILES = 8


class HeldSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log (same files, schema and queries), one open connection per file."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[tuple[int, str], sa.Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> HeldSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        # As Dagster's own, but the engine (and its pooled connection) outlives the call.
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def _engine(self, shard: str) -> sa.Engine:
        # Keyed by process: a forked child opens its own connections and leaves its parent's
        # open, unused (SQLAlchemy's advice for engines inherited by a fork).
        key = (os.getpid(), shard)
        for inherited in [other for other in self._engines if other[0] != key[0]]:
            self._engines.pop(inherited).dispose(close=False)
        if key in self._engines:
            self._engines.move_to_end(key)
            return self._engines[key]
        engine = sa.create_engine(
            self.conn_string_for_shard(shard),
            poolclass=sa.pool.QueuePool,
            pool_size=1,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        sa.event.listen(engine, "connect", _normal_sync)
        self._engines[key] = engine
        while len(self._engines) > OPEN_FILES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    def watch(self, run_id: str, cursor: str | None, callback) -> None:
        # Dagster's watcher wakes when <run>.db changes, which now happens only at a checkpoint;
        # commits land in <run>.db-wal first, so it watches that file too.
        if not self._obs:
            self._obs = Observer()
            self._obs.start()
        watchdog = RunLogWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (
            watchdog,
            self._obs.schedule(watchdog, self._base_dir, recursive=True),
        )

    def wipe(self) -> None:
        self._close_all()
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()

    def _close_all(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()


def _normal_sync(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class RunLogWatchdog(SqliteEventLogStorageWatchdog):
    """Dagster's watcher of a run's events, woken by its database file or its write-ahead log."""

    def __init__(self, storage: SqliteEventLogStorage, run_id: str, callback, cursor: str | None):
        super().__init__(storage, run_id, callback, cursor)
        PatternMatchingEventHandler.__init__(
            self, patterns=[self._log_path, f"{self._log_path}-wal"]
        )

    def on_modified(self, event: FileSystemEvent) -> None:
        self._process_log()


class SqliteStorage(DagsterSqliteStorage):
    """Dagster's default storage under DAGSTER_HOME (runs, schedules, event logs in the same
    files), with the event log above. `storage: custom:` in dagster.yaml."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data)
        self._event_log_storage = HeldSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> SqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)

    @property
    def event_storage_data(self) -> ConfigurableClassData:
        return ConfigurableClassData(
            __name__,
            HeldSqliteEventLogStorage.__name__,
            yaml.dump({"base_dir": _event_logs_directory(self.base_dir)}),
        )
