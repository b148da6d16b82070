"""Report content: what the notebooks show, computed from the processed data and the indicator
table. Notebooks call these functions and stay thin; no number is typed by hand."""
