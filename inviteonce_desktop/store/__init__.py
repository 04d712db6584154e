"""Persistence: SQLAlchemy 2.0 on SQLite (WAL), versioned by Alembic.

Repositories hand out core objects; nothing above this layer sees SQL.
"""
