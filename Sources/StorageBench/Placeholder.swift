enum StorageBenchPlaceholder {}
