"""Readers that turn external data sets into `GraphBatch`es for `GraphStore.bulk_load`."""
