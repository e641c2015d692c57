// Package ssmsim simulates the Parameter Store of AWS Systems Manager for one account: String,
// StringList and SecureString parameters per region, their versions, labels, tags, tiers and
// policies, and AWS's public parameters that name the latest machine images.
//
// [SSM] has one method per operation with the SDK client's signature; the simulator's front
// door decodes requests into the SDK's input types, authorizes them on the ARNs [Resources]
// names, and calls them. Operations of Systems Manager it does not have (documents, commands,
// sessions, …) are answered by the front door with an error that names them.
//
// # What is simulated
//
//   - PutParameter: creation and, with Overwrite, new versions (at most 100 kept; the oldest
//     is dropped unless it has a label, ParameterMaxVersionLimitExceeded). Names are checked
//     as AWS checks them — characters, a leading slash for hierarchies, 15 levels, 1,011
//     characters with the ARN's prefix, no "aws" or "ssm" prefix, nothing written under /aws/
//     (AccessDeniedException) — and so are values (4 KB standard, 8 KB advanced, no "{{…}}"),
//     AllowedPattern (the whole value must match), types, KeyId (SecureString only), tiers
//     (Intelligent-Tiering upgrades when it must; no downgrade), policies, tags (not with
//     Overwrite) and the limit of 10,000 standard parameters a region.
//   - GetParameter and GetParameters, by name or ARN, with name:version and name:label
//     selectors; GetParameterHistory; GetParametersByPath (Recursive, the Type, KeyId and
//     Label filters); DescribeParameters (Filters, or ParameterFilters on Name, Path, Type,
//     KeyId, Tier, DataType and tag:KEY); all paged by NextToken within AWS's page sizes.
//   - DeleteParameter and DeleteParameters; LabelParameterVersion (ten labels a version, labels
//     move between versions, InvalidLabels) and UnlabelParameterVersion; AddTagsToResource,
//     RemoveTagsFromResource and ListTagsForResource for parameters (50 tags).
//   - SecureString: the value is stored in clear and returned in clear only WithDecryption;
//     without it reads show an opaque base64 ciphertext, the same for the same value on every
//     read and every run (see ciphertext). The key defaults to alias/aws/ssm.
//   - DataType text and aws:ec2:image; an image ID's shape (ami- and 8 or 17 hex digits) is
//     checked when the parameter is put.
//   - AWS's public parameters: the Amazon Linux 2023 and Amazon Linux 2 (kernel 5.10) ones
//     under /aws/service/ami-amazon-linux-latest, Canonical's Ubuntu 24.04 and 22.04, Debian
//     12 and Windows Server 2022 English Full Base, each resolving in every region to the ID
//     of the newest matching image of the EC2 catalog there (public.go lists them, with their
//     sources). They are read-only, not the account's state, and not listed by
//     DescribeParameters; GetParameter, GetParameters, GetParameterHistory and
//     GetParametersByPath read them. [Store.Resolve] reads them and the account's own
//     parameters for EC2's resolve:ssm: image IDs.
//
// # State
//
// A [Store] holds every region's parameters under one lock, in records that are copied into
// fresh SDK values on the way out. Times come from the simulator's clock; nothing is random.
// [Store.MarshalJSON] and [Store.UnmarshalJSON] save and load it; [Store.Generation] moves
// with every change and never with a read, so a saver writes only what changed.
//
// # Scope and limitations
//
// Not simulated: KMS (any well-formed KeyId is taken, and nothing is encrypted), parameter
// policies in action (they are checked and stored, shown as Pending, and never expire or
// notify), the asynchronous check that an aws:ec2:image value names an image the account can
// use (AWS drops such a version afterwards; the simulator keeps it), the data types AWS added
// beside text and aws:ec2:image (refused by name as not simulated), shared parameters and
// resource policies (an ARN of another account is not found; Shared lists nothing), the
// account's default tier setting and throughput settings (the default tier is Standard),
// /aws/reference/secretsmanager/ references, the other public parameters (regions, services,
// ECS and EKS images, other images), and tags of resources other than parameters (those are
// InvalidResourceId, as in an account that has none). AllowedPattern is a Go (RE2) regular
// expression: one that only Java's engine takes is refused. Messages are AWS's where its
// answers are quoted in its documentation or in public logs; where they are not (the
// 1,011-character limit, policies, data-type changes, advanced values over 8 KB) the message is
// the simulator's own and the code is AWS's.
package ssmsim
