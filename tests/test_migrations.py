"""Schema migrations: every step applies to a database holding data, and the models match."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from intake.store.db import alembic_config, current_revision, head_revision, make_engine, upgrade
from intake.store.models import Base


def test_upgrade_from_first_revision_keeps_data(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as c:
        c.execute(text("INSERT INTO items (channel, source, message_id, content_hash, size, raw, received_at, "
                       "stored_at, state, attempts, malformed) VALUES ('email', 's', '<a@b>', 'h', 1, x'41', "
                       "'2026-11-01 00:00:00', '2026-11-01 00:00:00', 'new', 0, 0)"))
    before, after = upgrade(engine)
    assert (before, after) == ("0001", head_revision(engine))
    with engine.connect() as c:
        assert c.execute(text("SELECT message_id, direction FROM items")).all() == [("<a@b>", "in")]


def test_models_and_migrations_agree(engine):
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []


def test_migrations_on_postgres(pg_server):
    engine = make_engine(pg_server())
    upgrade(engine)
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []
    engine.dispose()

