"""The package version and the API version it speaks: one place for both."""

#: The version of this package (also ``atomx.__version__``).
VERSION = '2.0.0'
#: The Atomx REST API version the client speaks; part of the default endpoint.
API_VERSION = 'v3'

__all__ = ['API_VERSION', 'VERSION']
