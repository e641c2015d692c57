package ec2sim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// instanceType is one row of the simulator's table of instance types.
type instanceType struct {
	Name       types.InstanceType
	VCPUs      int32
	Threads    int32 // per core
	MemoryMiB  int64
	FreeTier   bool
	Archs      []types.ArchitectureType
	Hypervisor types.InstanceTypeHypervisor
	Burstable  bool
	Previous   bool // a previous generation
	Network    string
	ENIs, IPs  int32 // network interfaces, and IPv4 addresses per interface
	GHz        float64
}

var (
	x86     = []types.ArchitectureType{types.ArchitectureTypeX8664}
	x86i386 = []types.ArchitectureType{types.ArchitectureTypeI386, types.ArchitectureTypeX8664}
	arm     = []types.ArchitectureType{types.ArchitectureTypeArm64}
	xen     = types.InstanceTypeHypervisorXen
	nitro   = types.InstanceTypeHypervisorNitro
)

// instanceTypes are common types, as DescribeInstanceTypes describes them. RunInstances takes
// no others.
// https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html
var instanceTypes = []instanceType{
	{"m1.small", 1, 1, 1740, false, x86i386, xen, false, true, "Low", 2, 4, 0},
	{"t2.nano", 1, 1, 512, false, x86i386, xen, true, false, "Low to Moderate", 2, 2, 2.4},
	{"t2.micro", 1, 1, 1024, true, x86i386, xen, true, false, "Low to Moderate", 2, 2, 2.5},
	{"t2.small", 1, 1, 2048, false, x86i386, xen, true, false, "Low to Moderate", 3, 4, 2.5},
	{"t2.medium", 2, 1, 4096, false, x86i386, xen, true, false, "Low to Moderate", 3, 6, 2.3},
	{"t2.large", 2, 1, 8192, false, x86, xen, true, false, "Low to Moderate", 3, 12, 2.3},
	{"t2.xlarge", 4, 1, 16384, false, x86, xen, true, false, "Moderate", 3, 15, 2.3},
	{"t2.2xlarge", 8, 1, 32768, false, x86, xen, true, false, "Moderate", 3, 15, 2.3},
	{"t3.nano", 2, 2, 512, false, x86, nitro, true, false, "Up to 5 Gigabit", 2, 2, 2.5},
	{"t3.micro", 2, 2, 1024, true, x86, nitro, true, false, "Up to 5 Gigabit", 2, 2, 2.5},
	{"t3.small", 2, 2, 2048, false, x86, nitro, true, false, "Up to 5 Gigabit", 3, 4, 2.5},
	{"t3.medium", 2, 2, 4096, false, x86, nitro, true, false, "Up to 5 Gigabit", 3, 6, 2.5},
	{"t3.large", 2, 2, 8192, false, x86, nitro, true, false, "Up to 5 Gigabit", 3, 12, 2.5},
	{"t3.xlarge", 4, 2, 16384, false, x86, nitro, true, false, "Up to 5 Gigabit", 4, 15, 2.5},
	{"t3.2xlarge", 8, 2, 32768, false, x86, nitro, true, false, "Up to 5 Gigabit", 4, 15, 2.5},
	{"t3a.micro", 2, 2, 1024, false, x86, nitro, true, false, "Up to 5 Gigabit", 2, 2, 2.2},
	{"t4g.micro", 2, 1, 1024, false, arm, nitro, true, false, "Up to 5 Gigabit", 2, 2, 2.5},
	{"t4g.small", 2, 1, 2048, false, arm, nitro, true, false, "Up to 5 Gigabit", 3, 4, 2.5},
	{"m4.large", 2, 2, 8192, false, x86, xen, false, false, "Moderate", 2, 10, 2.4},
	{"m5.large", 2, 2, 8192, false, x86, nitro, false, false, "Up to 10 Gigabit", 3, 10, 3.1},
	{"c5.large", 2, 2, 4096, false, x86, nitro, false, false, "Up to 10 Gigabit", 3, 10, 3.4},
	{"r5.large", 2, 2, 16384, false, x86, nitro, false, false, "Up to 10 Gigabit", 3, 10, 3.1},
}

func lookupInstanceType(name types.InstanceType) (*instanceType, bool) {
	for i := range instanceTypes {
		if instanceTypes[i].Name == name {
			return &instanceTypes[i], true
		}
	}
	return nil, false
}

// runnable returns the type RunInstances and ModifyInstanceAttribute take, with EC2's error
// for another.
func runnable(name types.InstanceType) (*instanceType, error) {
	it, ok := lookupInstanceType(name)
	if !ok {
		return nil, core.Errorf(InvalidParameterValue, "Invalid value '%s' for InstanceType.", name)
	}
	return it, nil
}

// info describes the type as DescribeInstanceTypes does.
func (it *instanceType) info() types.InstanceTypeInfo {
	virt := []types.VirtualizationType{types.VirtualizationTypeHvm}
	if it.Previous {
		virt = append(virt, types.VirtualizationTypeParavirtual)
	}
	out := types.InstanceTypeInfo{
		InstanceType: it.Name, CurrentGeneration: aws.Bool(!it.Previous), FreeTierEligible: aws.Bool(it.FreeTier),
		SupportedUsageClasses:        []types.UsageClassType{types.UsageClassTypeOnDemand, types.UsageClassTypeSpot},
		SupportedRootDeviceTypes:     []types.RootDeviceType{types.RootDeviceTypeEbs},
		SupportedVirtualizationTypes: virt, BareMetal: aws.Bool(false), Hypervisor: it.Hypervisor,
		ProcessorInfo: &types.ProcessorInfo{SupportedArchitectures: it.Archs},
		VCpuInfo: &types.VCpuInfo{
			DefaultVCpus: aws.Int32(it.VCPUs), DefaultCores: aws.Int32(it.VCPUs / it.Threads), DefaultThreadsPerCore: aws.Int32(it.Threads),
		},
		MemoryInfo:               &types.MemoryInfo{SizeInMiB: aws.Int64(it.MemoryMiB)},
		InstanceStorageSupported: aws.Bool(false),
		EbsInfo: &types.EbsInfo{
			EbsOptimizedSupport: types.EbsOptimizedSupportDefault, EncryptionSupport: types.EbsEncryptionSupportSupported,
			NvmeSupport: types.EbsNvmeSupportUnsupported,
		},
		NetworkInfo: &types.NetworkInfo{
			NetworkPerformance: aws.String(it.Network), MaximumNetworkInterfaces: aws.Int32(it.ENIs),
			Ipv4AddressesPerInterface: aws.Int32(it.IPs), Ipv6Supported: aws.Bool(!it.Previous),
			EnaSupport: types.EnaSupportUnsupported,
		},
		BurstablePerformanceSupported: aws.Bool(it.Burstable), HibernationSupported: aws.Bool(!it.Previous),
		AutoRecoverySupported: aws.Bool(true), DedicatedHostsSupported: aws.Bool(!it.Burstable),
		SupportedBootModes: []types.BootModeType{types.BootModeTypeLegacyBios},
	}
	if it.GHz > 0 {
		out.ProcessorInfo.SustainedClockSpeedInGhz = aws.Float64(it.GHz)
	}
	if it.Hypervisor == nitro {
		out.EbsInfo.NvmeSupport = types.EbsNvmeSupportRequired
		out.NetworkInfo.EnaSupport = types.EnaSupportRequired
		out.SupportedBootModes = append(out.SupportedBootModes, types.BootModeTypeUefi)
	}
	if it.Burstable || it.Previous {
		out.PlacementGroupInfo = &types.PlacementGroupInfo{SupportedStrategies: []types.PlacementGroupStrategy{types.PlacementGroupStrategyPartition, types.PlacementGroupStrategySpread}}
	} else {
		out.PlacementGroupInfo = &types.PlacementGroupInfo{SupportedStrategies: []types.PlacementGroupStrategy{
			types.PlacementGroupStrategyCluster, types.PlacementGroupStrategyPartition, types.PlacementGroupStrategySpread,
		}}
	}
	return out
}

var instanceTypeFields = fields[types.InstanceTypeInfo]{
	"instance-type":      func(t types.InstanceTypeInfo) []string { return one(string(t.InstanceType)) },
	"current-generation": func(t types.InstanceTypeInfo) []string { return boolValue(*t.CurrentGeneration) },
	"free-tier-eligible": func(t types.InstanceTypeInfo) []string { return boolValue(*t.FreeTierEligible) },
	"hypervisor":         func(t types.InstanceTypeInfo) []string { return one(string(t.Hypervisor)) },
	"burstable-performance-supported": func(t types.InstanceTypeInfo) []string {
		return boolValue(*t.BurstablePerformanceSupported)
	},
	"processor-info.supported-architecture": func(t types.InstanceTypeInfo) []string {
		var out []string
		for _, a := range t.ProcessorInfo.SupportedArchitectures {
			out = append(out, string(a))
		}
		return out
	},
	"vcpu-info.default-vcpus":          func(t types.InstanceTypeInfo) []string { return one(itoa(*t.VCpuInfo.DefaultVCpus)) },
	"memory-info.size-in-mib":          func(t types.InstanceTypeInfo) []string { return one(itoa(int(*t.MemoryInfo.SizeInMiB))) },
	"network-info.network-performance": func(t types.InstanceTypeInfo) []string { return one(*t.NetworkInfo.NetworkPerformance) },
	"supported-virtualization-type":    func(t types.InstanceTypeInfo) []string { return virtValues(t) },
	"network-info.ipv6-supported":      func(t types.InstanceTypeInfo) []string { return boolValue(*t.NetworkInfo.Ipv6Supported) },
	"network-info.maximum-network-interfaces": func(t types.InstanceTypeInfo) []string {
		return one(itoa(*t.NetworkInfo.MaximumNetworkInterfaces))
	},
}

func virtValues(t types.InstanceTypeInfo) []string {
	var out []string
	for _, v := range t.SupportedVirtualizationTypes {
		out = append(out, string(v))
	}
	return out
}

// DescribeInstanceTypes describes the types of the simulator's table, 5 to 100 a page.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypes.html
func (h *EC2) DescribeInstanceTypes(ctx context.Context, in *ec2.DescribeInstanceTypesInput) (*ec2.DescribeInstanceTypesOutput, error) {
	var unknown []string
	for _, n := range in.InstanceTypes {
		if _, ok := lookupInstanceType(n); !ok {
			unknown = append(unknown, string(n))
		}
	}
	if len(unknown) > 0 {
		return nil, core.Errorf(InvalidInstanceType, "The following supplied instance types do not exist: [%s]", strings.Join(unknown, ", "))
	}
	var all []types.InstanceTypeInfo
	for _, it := range instanceTypes {
		if len(in.InstanceTypes) == 0 || slices.Contains(in.InstanceTypes, it.Name) {
			all = append(all, it.info())
		}
	}
	all, err := where(in.Filters, instanceTypeFields, nil, all)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeInstanceTypesOutput{}
	out.InstanceTypes, out.NextToken, err = page(all, in.MaxResults, in.NextToken, 5, 100)
	out.InstanceTypes = nonNil(out.InstanceTypes)
	return out, err
}
