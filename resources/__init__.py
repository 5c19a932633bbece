"""Package data: example scenarios, icons, stylesheets."""
