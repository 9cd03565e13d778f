import Hummingbird
import GRDB
import AsyncHTTPClient
import ArgumentParser
print("x")
