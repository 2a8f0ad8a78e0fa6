"""The Dagster instance of `.dagster_home/dagster.yaml` (orchestration/storage.py): Dagster's
SQLite files, written through connections that stay open. What the UI reads must not change:
every event, each month's status (failed ones too), and a run's log as it is written."""

import os
import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.event_log.base import EventLogCursor

from orchestration import settings
from orchestration.storage import OPEN_FILES, HeldSqliteEventLogStorage

MONTHS = dg.MonthlyPartitionsDefinition(start_date="2020-01-01", end_offset=1)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A DAGSTER_HOME holding the project's dagster.yaml."""
    shutil.copy(settings.INSTANCE_CONFIG, tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return tmp_path


def monthly_asset(fail: bool) -> dg.AssetsDefinition:
    @dg.asset(partitions_def=MONTHS, backfill_policy=dg.BackfillPolicy.single_run())
    def months(context: dg.AssetExecutionContext) -> None:
        if fail:
            raise dg.Failure("the run fails after planning its months")
        for key in context.partition_keys:
            context.log_event(dg.AssetMaterialization(months_key(), partition=key))

    return months


def months_key() -> dg.AssetKey:
    return dg.AssetKey("months")


def run_months(instance: dg.DagsterInstance, first: str, last: str, fail: bool = False):
    job = dg.define_asset_job("months_job").resolve(
        asset_graph=dg.Definitions(assets=[monthly_asset(fail)]).resolve_asset_graph()
    )
    tags = {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
    return job.execute_in_process(instance=instance, tags=tags, raise_on_error=False)


def test_each_month_shows_its_status_from_a_single_run_over_a_range(home):
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, HeldSqliteEventLogStorage)
        assert run_months(instance, "2020-01-01", "2020-03-01").success
        assert not run_months(instance, "2020-05-01", "2020-06-01", fail=True).success
        keys = [f"2020-{month:02d}-01" for month in range(1, 8)]
        status = instance.get_status_by_partition(months_key(), keys, MONTHS)
    materialized, failed = dg.AssetPartitionStatus.MATERIALIZED, dg.AssetPartitionStatus.FAILED
    assert status == dict(
        zip(keys, [materialized] * 3 + [None] + [failed] * 2 + [None], strict=True)
    )
    # Dagster's layout: one file per run and the cross-run index under history/runs.
    assert (home / "history" / "runs" / "index.db").exists()


def test_events_written_are_read_by_another_process_before_any_checkpoint(home):
    with dg.DagsterInstance.get() as writer:
        run_id = run_months(writer, "2020-01-01", "2020-02-01").run_id
        written = writer.get_records_for_run(run_id).records
        shard = home / "history" / "runs" / f"{run_id}.db"
        # A plain SQLite reader, as another process (the UI) opens the run's file.
        with closing(sqlite3.connect(shard)) as reader:
            [(rows,)] = reader.execute("select count(*) from event_logs").fetchall()
        with writer.event_log_storage.run_connection(run_id) as connection:
            [(sync,)] = connection.exec_driver_sql("pragma synchronous").fetchall()
    assert rows == len(written) > 0
    assert sync == 1  # NORMAL


def test_a_watcher_sees_each_event_while_it_is_written(home):
    """The UI follows a running run through a watcher on its file: commits land in the
    write-ahead log, which the watcher must wake on as well."""
    with dg.DagsterInstance.get() as instance:
        run_id = run_months(instance, "2020-01-01", "2020-01-01").run_id
        seen = instance.get_records_for_run(run_id).records
        woken = threading.Event()
        ui = dg.DagsterInstance.get()  # the UI's own instance, as in another process
        cursor = EventLogCursor.from_storage_id(seen[-1].storage_id).to_string()
        ui.event_log_storage.watch(run_id, cursor, lambda *_: woken.set())
        try:
            instance.report_engine_event("written while watched", instance.get_run_by_id(run_id))
            assert woken.wait(timeout=20), "the watcher missed an event committed to the log"
        finally:
            ui.dispose()


def test_a_process_keeps_only_a_few_files_open(home):
    with dg.DagsterInstance.get() as instance:
        for _ in range(OPEN_FILES + 2):
            run_months(instance, "2020-01-01", "2020-01-01")
        assert len(open_database_files(home)) == OPEN_FILES


def open_database_files(home: Path) -> set[str]:
    """The files of the event log under `home` this process holds open (not -wal and -shm)."""
    links = (os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if fd.is_symlink())
    runs = str(home / "history" / "runs")
    return {link for link in links if link.startswith(runs) and link.endswith(".db")}


def test_a_forked_child_writes_through_its_own_connections(home):
    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_by_id(run_months(instance, "2020-01-01", "2020-01-01").run_id)
        before = len(instance.get_records_for_run(run.run_id).records)
        child = os.fork()
        if child == 0:  # the child: one event, then out without Python's clean-up
            try:
                instance.report_engine_event("from a forked child", run)
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        instance.report_engine_event("from the parent after the fork", run)
        messages = [
            r.event_log_entry.message for r in instance.get_records_for_run(run.run_id).records
        ]
    assert len(messages) == before + 2
    assert {"from a forked child", "from the parent after the fork"} <= set(messages)
