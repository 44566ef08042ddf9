"""Relationship analytics: records and common openCypher of the aggregate reads (both adapters mix
in `shared.SharedAnalyticsReads`), and graph algorithms over the connection projection with their
stored, versioned runs (`algorithms.run_analytics`, CLI `expecs analytics run`)."""
