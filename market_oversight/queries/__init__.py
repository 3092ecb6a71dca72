"""Read-side queries behind the app's pages: each a plain function of a read-only connection and
its parameters, returning a polars frame, so pages stay thin and the queries are testable alone."""
