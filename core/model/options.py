"""The classifiers a model can hold, as plain data (dialogs list them before dependencies are
checked)."""

CLASSIFIERS = ("random_forest", "xgboost", "knn")
CLASSIFIER_LABELS = {"random_forest": "Random forest", "xgboost": "XGBoost",
                     "knn": "K-nearest neighbours"}
