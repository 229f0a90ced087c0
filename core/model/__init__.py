"""The model: feature recipes, band roles, the model file and its compiled forest."""
