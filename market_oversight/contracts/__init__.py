"""Data contracts (data_contracts/*.yml): one definition, compiled into a Great Expectations suite
(`contracts.gx`, the judge) and into one set-based SQL query (`contracts.sql`, the quarantine)."""

from market_oversight.contracts.model import (Column, Contract, Rule, all_contracts, contract,
                                              contracts_for, normalise_header)

__all__ = ["Column", "Contract", "Rule", "all_contracts", "contract", "contracts_for",
           "normalise_header"]
