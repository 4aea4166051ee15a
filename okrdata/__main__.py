from okrdata.cli import main

raise SystemExit(main())
