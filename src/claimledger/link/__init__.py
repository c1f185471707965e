"""Link: one actor however named, one claim however reported, and who supports or contradicts it."""
