"""Weekly alert e-mails: what changed in the market in an ISO week (`changes`), as an e-mail
(`render`, `chart`), sent once per week and recipient (`send`), run by `weekly` and the CLI."""
