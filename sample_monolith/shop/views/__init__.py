"""HTTP views (JSON API used by the storefront SPA and the back office)."""
