"""Where raw data comes from: the embedded snapshot or live akshare, behind one resource."""
