"""SQL files, shipped in the wheel as package data of market_oversight.sql (see market_oversight.paths)."""
