"""The Streamlit pages (app.py routes to them): each reads its widgets, calls the queries and the domain, and draws the result."""
