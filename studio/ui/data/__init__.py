"""The Data step: the preview, column roles and preprocessing, messy values, the column chart
and the data doctor."""
