// Package v1alpha1 mirrors the upstream cluster-registry-controller's Cluster API type
// (github.com/cisco-open/cluster-registry-controller api/v1alpha1) with the fields override
// templates reach, under the same package name, so type names in Go's messages match upstream's.
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

type NamespacedName struct {
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

type AuthInfo struct {
	SecretRef NamespacedName `json:"secretRef,omitempty"`
}

type KubernetesAPIEndpoint struct {
	ClientNetwork string `json:"clientNetwork,omitempty"`
	ServerAddress string `json:"serverAddress,omitempty"`
	CABundle      []byte `json:"caBundle,omitempty"`
}

type ClusterSpec struct {
	ClusterID              types.UID               `json:"clusterID"`
	AuthInfo               AuthInfo                `json:"authInfo,omitempty"`
	KubernetesAPIEndpoints []KubernetesAPIEndpoint `json:"kubernetesApiEndpoints,omitempty"`
}

type ClusterState string
type ClusterType string

type ClusterStatus struct {
	State   ClusterState `json:"state,omitempty"`
	Message string       `json:"message,omitempty"`
	Type    ClusterType  `json:"type,omitempty"`
	Leader  bool         `json:"leader,omitempty"`
}

type Cluster struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              ClusterSpec   `json:"spec,omitempty"`
	Status            ClusterStatus `json:"status,omitempty"`
}

// DeepCopy copies what a template could change.
func (c *Cluster) DeepCopy() *Cluster {
	out := *c
	c.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Spec.KubernetesAPIEndpoints = append([]KubernetesAPIEndpoint(nil), c.Spec.KubernetesAPIEndpoints...)
	return &out
}
