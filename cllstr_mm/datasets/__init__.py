from .lmdb_writer import write_lmdb

__all__ = ['write_lmdb']
