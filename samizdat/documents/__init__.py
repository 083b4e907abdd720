"""Every published file that is not a page, recognised by its bytes: PDFs stripped, office files refused."""
