"""pipeline layer"""
