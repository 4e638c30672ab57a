"""inputs layer"""
