"""Extract: actors, statements with speakers, dates, quantities and places, with offsets into the article text."""
