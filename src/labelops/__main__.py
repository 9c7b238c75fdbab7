from labelops.cli import main

main()
