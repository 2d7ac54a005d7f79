import CostPlanCLI

CostPlan.main()
