"""lovande-docs: Socialstyrelsen's model Lovande arbetssätt from one YAML source to Word and PDF."""
__version__ = "0.1.0"
