"""Data contracts, shipped in the wheel as package data of market_oversight.data_contracts (see market_oversight.paths)."""
