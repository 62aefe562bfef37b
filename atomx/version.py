"""The package version and the API version it speaks: one place for both."""

VERSION = '2.0.0'
API_VERSION = 'v3'
