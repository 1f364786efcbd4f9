"""Entry point: `flask --app app ...` finds create_app; `python app.py` serves with waitress."""
from redpinar import create_app
from redpinar.server import main

if __name__ == "__main__":
    main()
