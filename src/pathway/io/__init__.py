"""Bytes in, located data out: readers that know nothing of products or law."""
