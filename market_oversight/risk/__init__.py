"""Risk engine: indicators (sql/indicators/), scoring, overrides and the backtest. No streamlit here."""
